using System;
using System.Net.Sockets;
using System.Text;

class Program
{
    static void Main(string[] args)
    {
        string server = "mywhatsapp.jca.ec";
        int port = 5026;
        string token = "TOKEN";

        try
        {
            TcpClient client = new TcpClient(server, port);
            NetworkStream stream = client.GetStream();

            // Enviar token al servidor
            byte[] data = Encoding.ASCII.GetBytes(token);
            stream.Write(data, 0, data.Length);
            Console.WriteLine("Connected to server");

            // Leer datos del servidor
            byte[] buffer = new byte[1024];
            int bytesRead;
            while ((bytesRead = stream.Read(buffer, 0, buffer.Length)) != 0)
            {
                string responseData = Encoding.ASCII.GetString(buffer, 0, bytesRead);
                Console.WriteLine("Received: {0}", responseData);
            }

            // Cerrar conexión
            stream.Close();
            client.Close();
        }
        catch (Exception e)
        {
            Console.WriteLine("Exception: {0}", e);
        }
    }
}
